// Drives a running Moot server with Lemmy's own JavaScript client, as an app would.
//
//   node scenario.mjs <base-url> [--keep-going]
//
// Every response is checked against the TypeScript type that lemmy-js-client declares for it
// (see shapes.mjs) and against what Lemmy 0.19 answers. One line per step; the first failure ends
// the run with exit code 1, unless --keep-going is given (then every step runs and the exit code
// is 1 if any failed; steps whose inputs came from a failed step are reported as skipped).
import { Run, expect, need } from "./harness.mjs";

const args = process.argv.slice(2);
const baseUrl = args.find((a) => !a.startsWith("--"));
if (!baseUrl) {
  console.error("usage: node scenario.mjs <base-url> [--keep-going]");
  process.exit(2);
}
const run = new Run(baseUrl, args.includes("--keep-going"));

const ids = (list) => list.map((item) => item.id);
const suffix = (Date.now().toString(36) + Math.random().toString(36).slice(2)).slice(-7);
const password = "scenario-password-1";
const titleWord = `zebra${suffix}`;

async function main() {
  const anon = run.account("anonymous");
  const alice = run.account(`alice_${suffix}`);
  const bob = run.account(`bob_${suffix}`);
  const url = `https://example.com/moot-scenario/${suffix}`;
  const r = {};
  await run.loadServedPaths();

  await run.step("getSite anonymous", anon, "getSite", null, (site) => {
    expect(site.my_user === undefined, "my_user is present without a login");
  });
  for (const who of [alice, bob]) {
    r[who.label] = await run.step(`register ${who.label}`, anon, "register", () => ({
      username: who.label, password, password_verify: password,
    }), (res) => expect(res.jwt, "no jwt although registration is Open"));
  }
  if (r[bob.label]?.jwt) run.signIn(bob, r[bob.label].jwt);
  const login = await run.step("login", anon, "login", () => ({ username_or_email: alice.label, password }),
    (res) => expect(res.jwt, "login gave no jwt"));
  if (login?.jwt) run.signIn(alice, login.jwt);

  r.site = await run.step("getSite with my_user", alice, "getSite", null, (site) => {
    expect(site.my_user, "no my_user with a Bearer token");
    expect(site.my_user.local_user_view.person.name === alice.label,
      `my_user is ${site.my_user.local_user_view.person.name}, not ${alice.label}`);
  });
  const aliceId = () => need(r.site, "getSite with my_user").my_user.local_user_view.person.id;

  const communityName = `scenario_${suffix}`;
  r.community = await run.step("createCommunity", alice, "createCommunity", () => ({
    name: communityName, title: `Scenario ${suffix}`, description: "Made by the client scenario",
  }), (res) => expect(res.community_view.community.name === communityName, "wrong community name"));
  const communityId = () => need(r.community, "createCommunity").community_view.community.id;
  await run.step("getCommunity", bob, "getCommunity", () => ({ name: communityName }), (res) => {
    expect(res.community_view.community.id === communityId(), "another community came back");
    expect(res.moderators.some((m) => m.moderator.id === aliceId()), "the creator is not a moderator");
  });
  await run.step("followCommunity (second user)", bob, "followCommunity",
    () => ({ community_id: communityId(), follow: true }), (res) => {
      expect(res.community_view.subscribed === "Subscribed", `subscribed is ${res.community_view.subscribed}`);
    });
  await run.step("listCommunities", bob, "listCommunities", () => ({ type_: "All", sort: "New", limit: 50 }), (res) => {
    const mine = res.communities.find((c) => c.community.id === communityId());
    expect(mine, "the new community is not listed");
    expect(mine.subscribed === "Subscribed", `listed as ${mine.subscribed} for its follower`);
  });

  const title = `Scenario ${titleWord} post`;
  r.post = await run.step("createPost (url and body)", alice, "createPost", () => ({
    name: title, community_id: communityId(), url, body: "First body",
  }), (res) => {
    const p = res.post_view.post;
    expect(p.name === title && p.body === "First body", "name or body not stored");
    expect(p.url === url, `url is ${p.url}`);
    expect(res.post_view.my_vote === 1 && res.post_view.counts.score === 1,
      "the creator's own upvote is missing (my_vote 1, score 1)");
  });
  const postId = () => need(r.post, "createPost (url and body)").post_view.post.id;
  await run.step("editPost", alice, "editPost", () => ({ post_id: postId(), body: "Edited body" }), (res) => {
    expect(res.post_view.post.body === "Edited body", `body is ${res.post_view.post.body}`);
    expect(res.post_view.post.updated, "post.updated not set by an edit");
  });
  r.post2 = await run.step("createPost (second, for paging)", alice, "createPost", () => ({
    name: `Scenario second ${suffix}`, community_id: communityId(),
  }));
  await run.step("getPost", bob, "getPost", () => ({ id: postId() }), (res) => {
    expect(res.post_view.post.id === postId(), "another post came back");
    expect(res.community_view.community.id === communityId(), "community_view of another community");
  });
  await run.step("getPosts (All, Hot)", bob, "getPosts", () => ({ type_: "All", sort: "Hot" }), (res) => {
    expect(ids(res.posts.map((p) => p.post)).includes(postId()), "the post is not listed");
  });
  const page1 = await run.step("getPosts page 1 (limit 1)", bob, "getPosts", () => ({
    type_: "All", sort: "Hot", community_id: communityId(), limit: 1,
  }), (res) => {
    expect(res.posts.length === 1, `${res.posts.length} posts with limit 1`);
    expect(res.next_page, "no next_page although a second post exists");
  });
  await run.step("getPosts page 2 (page_cursor)", bob, "getPosts", () => ({
    type_: "All", sort: "Hot", community_id: communityId(), limit: 1,
    page_cursor: need(page1, "getPosts page 1 (limit 1)").next_page,
  }), (res) => {
    expect(res.posts.length === 1, `${res.posts.length} posts on page 2`);
    expect(res.posts[0].post.id !== page1.posts[0].post.id, "page 2 repeats page 1");
    const both = [page1.posts[0].post.id, res.posts[0].post.id].sort();
    const second = need(r.post2, "createPost (second, for paging)").post_view.post.id;
    expect(both.join() === [postId(), second].sort().join(), "pages missed a post");
  });
  await run.step("likePost up (second user)", bob, "likePost", () => ({ post_id: postId(), score: 1 }), (res) => {
    const v = res.post_view;
    expect(v.my_vote === 1, `my_vote is ${v.my_vote}`);
    expect(v.counts.score === 2 && v.counts.upvotes === 2, `score ${v.counts.score}, upvotes ${v.counts.upvotes}`);
  });
  await run.step("likePost down (the author)", alice, "likePost", () => ({ post_id: postId(), score: -1 }), (res) => {
    const v = res.post_view;
    expect(v.my_vote === -1, `my_vote is ${v.my_vote}`);
    expect(v.counts.score === 0 && v.counts.upvotes === 1 && v.counts.downvotes === 1,
      `score ${v.counts.score}, upvotes ${v.counts.upvotes}, downvotes ${v.counts.downvotes}`);
  });
  await run.step("savePost", bob, "savePost", () => ({ post_id: postId(), save: true }), (res) => {
    expect(res.post_view.saved === true, "saved is not true");
  });

  r.c1 = await run.step("createComment", bob, "createComment", () => ({
    post_id: postId(), content: "A top-level comment",
  }), (res) => {
    const c = res.comment_view.comment;
    expect(c.path === `0.${c.id}`, `path is ${c.path}`);
    expect(res.comment_view.my_vote === 1, "the commenter's own upvote is missing");
  });
  const c1 = () => need(r.c1, "createComment").comment_view.comment.id;
  await run.step("getUnreadCount (post author)", alice, "getUnreadCount", null, (res) => {
    need(r.c1, "createComment");
    expect(res.replies === 1, `replies is ${res.replies}, expected 1 (the top-level comment)`);
  });
  await run.step("getReplies (post author)", alice, "getReplies", () => ({ sort: "New", unread_only: true }), (res) => {
    expect(res.replies.length === 1, `${res.replies.length} unread replies, expected 1`);
    expect(res.replies[0].comment.id === c1(), "the reply is not the top-level comment");
    expect(res.replies[0].recipient.id === aliceId(), "recipient is not the post author");
    expect(res.replies[0].comment_reply.read === false, "already read");
  });
  r.c2 = await run.step("createComment reply (parent_id)", alice, "createComment", () => ({
    post_id: postId(), parent_id: c1(), content: "A reply",
  }), (res) => {
    const c = res.comment_view.comment;
    expect(c.path === `0.${c1()}.${c.id}`, `path is ${c.path}`);
  });
  const c2 = () => need(r.c2, "createComment reply (parent_id)").comment_view.comment.id;
  await run.step("likeComment", alice, "likeComment", () => ({ comment_id: c1(), score: 1 }), (res) => {
    expect(res.comment_view.my_vote === 1, `my_vote is ${res.comment_view.my_vote}`);
    expect(res.comment_view.counts.score === 2, `score is ${res.comment_view.counts.score}`);
  });
  await run.step("editComment", bob, "editComment", () => ({ comment_id: c1(), content: "Edited comment" }), (res) => {
    expect(res.comment_view.comment.content === "Edited comment", "content not changed");
  });
  await run.step("getComments (tree)", bob, "getComments", () => ({ post_id: postId(), max_depth: 8, sort: "Hot" }), (res) => {
    const byId = new Map(res.comments.map((v) => [v.comment.id, v]));
    expect(res.comments.length === 2, `${res.comments.length} comments, expected 2`);
    const top = byId.get(c1());
    const reply = byId.get(c2());
    expect(top && reply, "a comment of the post is missing");
    expect(top.comment.path === `0.${c1()}`, `top path ${top.comment.path}`);
    expect(reply.comment.path === `0.${c1()}.${c2()}`, `reply path ${reply.comment.path}`);
    expect(top.counts.child_count === 1, `top child_count ${top.counts.child_count}`);
    expect(reply.counts.child_count === 0, `reply child_count ${reply.counts.child_count}`);
    expect(top.comment.content === "Edited comment", "the edit is not shown");
  });
  await run.step("getComment", bob, "getComment", () => ({ id: c2() }), (res) => {
    expect(res.comment_view.comment.id === c2(), "another comment came back");
  });

  await run.step("getUnreadCount (post author, after answering)", alice, "getUnreadCount", null, (res) => {
    need(r.c2, "createComment reply (parent_id)");
    expect(res.replies === 0, `replies is ${res.replies}: answering a reply marks it read, as in Lemmy`);
  });
  await run.step("getUnreadCount (commenter)", bob, "getUnreadCount", null, (res) => {
    need(r.c2, "createComment reply (parent_id)");
    expect(res.replies === 1, `replies is ${res.replies}, expected 1 (the author's answer)`);
  });
  await run.step("markAllAsRead (commenter)", bob, "markAllAsRead", null, (res) => {
    expect(res.replies.length === 0, `${res.replies.length} replies returned; Lemmy returns none`);
  });
  await run.step("getUnreadCount after markAllAsRead", bob, "getUnreadCount", null, (res) => {
    expect(res.replies === 0, `replies is ${res.replies}`);
  });
  await run.step("getReplies after markAllAsRead", bob, "getReplies", () => ({ sort: "New" }), (res) => {
    const reply = res.replies.find((v) => v.comment.id === c2());
    expect(reply, "the answer is missing from the replies");
    expect(reply.comment_reply.read === true, "the answer is still unread");
  });

  await run.step(`search (q=${titleWord})`, anon, "search", () => ({ q: titleWord }), (res) => {
    expect(ids(res.posts.map((p) => p.post)).includes(postId()), "the post is not found");
  });
  await run.step("getPersonDetails", bob, "getPersonDetails", () => ({ person_id: aliceId() }), (res) => {
    expect(res.person_view.person.name === alice.label, "another person came back");
    expect(ids(res.posts.map((p) => p.post)).includes(postId()), "the person's post is missing");
    expect(ids(res.comments.map((c) => c.comment)).includes(c2()), "the person's comment is missing");
  });
  await run.step("blockPerson", bob, "blockPerson", () => ({ person_id: aliceId(), block: true }), (res) => {
    expect(res.blocked === true, "blocked is not true");
    expect(res.person_view.person.id === aliceId(), "another person came back");
  });

  await run.step("validateAuth", alice, "validateAuth");
  await run.step("logout", alice, "logout", null, (res) => expect(res.success === true, "success is not true"));
  await run.refused("validateAuth after logout refused", alice, "validateAuth", null, ["not_logged_in", "incorrect_login"]);
  await run.step("getSite after logout", alice, "getSite", null, (site) => {
    expect(site.my_user === undefined, "my_user still present with the logged-out token");
  });
}

main().then(() => run.finish(), (err) => {
  console.log(`FAIL scenario crashed: ${err.stack ?? err}`);
  process.exit(1);
});
