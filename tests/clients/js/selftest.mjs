// Proves shapes.mjs catches what it must (a checker that passes everything would hide every bug).
//   node selftest.mjs   -> exit 0 and "selftest passed", or exit 1 naming what went unnoticed.
import { ShapeChecker } from "./shapes.mjs";

const shapes = new ShapeChecker();
const person = {
  id: 1, name: "a", banned: false, published: "2024-01-01T00:00:00Z", actor_id: "http://x/u/a",
  local: true, deleted: false, bot_account: false, instance_id: 1,
};
const counts = { person_id: 1, post_count: 0, comment_count: 0 };
const good = { person_view: { person, counts, is_admin: false }, blocked: true };
const cases = [
  ["a complete response", good, [], []],
  ["a missing nested field", { ...good, person_view: { ...good.person_view, counts: { person_id: 1, post_count: 0 } } },
    ["BlockPersonResponse.person_view.counts.comment_count: missing (number)"], []],
  ["a null optional field", { ...good, person_view: { ...good.person_view, person: { ...person, bio: null } } },
    ["BlockPersonResponse.person_view.person.bio: null"], []],
  ["a wrong JSON type", { ...good, blocked: "yes" }, ["BlockPersonResponse.blocked: expected boolean"], []],
  ["an undeclared field", { ...good, extra: 1 }, [], ["BlockPersonResponse.extra: not declared"]],
];
const posts = { posts: [{ subscribed: "Maybe" }] };
let bad = 0;
for (const [name, value, errors, warnings] of cases) {
  const found = shapes.check("blockPerson", value);
  const ok = (want, got) => want.length === got.length && want.every((w, i) => got[i].startsWith(w));
  if (!ok(errors, found.errors) || !ok(warnings, found.warnings)) {
    bad += 1;
    console.log(`FAIL ${name}: ${JSON.stringify(found)}`);
  }
}
const enumCheck = shapes.check("getPosts", posts).errors;
if (!enumCheck.some((e) => e.startsWith('GetPostsResponse.posts[0].subscribed: "Maybe" is not one of'))) {
  bad += 1;
  console.log(`FAIL an unknown enum value: ${JSON.stringify(enumCheck)}`);
}
if (!enumCheck.includes("GetPostsResponse.posts[0].post: missing (Post)")) {
  bad += 1;
  console.log(`FAIL a missing object in an array item: ${JSON.stringify(enumCheck)}`);
}
console.log(bad ? `selftest FAILED: ${bad} cases` : "selftest passed");
process.exit(bad ? 1 : 0);
