// A moderation session driven with Lemmy's own JavaScript client against a running Moot server:
// reports and their queue, removal with a reason, the modlog, locking, a community ban, private
// messages and their reports, and an admin's hide and purge.
//
//   node moderation.mjs <base-url> <admin-name> <admin-password> [--keep-going]
//
// Every response is checked against the type lemmy-js-client declares (harness.mjs, shapes.mjs).
import { Run, expect, need } from "./harness.mjs";

const args = process.argv.slice(2);
const [baseUrl, adminName, adminPassword] = args.filter((a) => !a.startsWith("--"));
if (!adminPassword) {
  console.error("usage: node moderation.mjs <base-url> <admin-name> <admin-password> [--keep-going]");
  process.exit(2);
}
const run = new Run(baseUrl, args.includes("--keep-going"));
const suffix = (Date.now().toString(36) + Math.random().toString(36).slice(2)).slice(-7);
const password = "scenario-password-1";

async function signUp(who) {
  const res = await run.step(`register ${who.label}`, run.account("anonymous"), "register", () => ({
    username: who.label, password, password_verify: password,
  }), (r) => expect(r.jwt, "no jwt although registration is Open"));
  if (res?.jwt) run.signIn(who, res.jwt);
  const site = await run.step(`getSite ${who.label}`, who, "getSite", null);
  who.id = () => need(site, `getSite ${who.label}`).my_user.local_user_view.person.id;
}

async function reports(mod, reporter, r) {
  const postId = () => need(r.post, "createPost").post_view.post.id;
  const commentId = () => need(r.comment, "createComment").comment_view.comment.id;
  r.postReport = await run.step("createPostReport", reporter, "createPostReport",
    () => ({ post_id: postId(), reason: "Spam link" }), (res) => {
      expect(res.post_report_view.post_report.reason === "Spam link", "reason not stored");
      expect(res.post_report_view.post_report.resolved === false, "a new report is resolved");
    });
  await run.step("createCommentReport", reporter, "createCommentReport",
    () => ({ comment_id: commentId(), reason: "Rude" }));
  await run.step("getReportCount (moderator)", mod, "getReportCount", () => ({}), (res) => {
    expect(res.post_reports === 1 && res.comment_reports === 1,
      `post_reports ${res.post_reports}, comment_reports ${res.comment_reports}`);
  });
  await run.step("listPostReports (unresolved)", mod, "listPostReports", () => ({ unresolved_only: true }), (res) => {
    expect(res.post_reports.length === 1, `${res.post_reports.length} open post reports`);
    expect(res.post_reports[0].post.id === postId(), "the report is of another post");
  });
  await run.step("resolvePostReport", mod, "resolvePostReport", () => ({
    report_id: need(r.postReport, "createPostReport").post_report_view.post_report.id, resolved: true,
  }), (res) => {
    expect(res.post_report_view.post_report.resolved === true, "not resolved");
    expect(res.post_report_view.resolver?.id === mod.id(), "the resolver is not the moderator");
  });
  await run.step("removeComment (with reason)", mod, "removeComment", () => ({
    comment_id: commentId(), removed: true, reason: "Be civil",
  }), (res) => expect(res.comment_view.comment.removed === true, "comment not removed"));
  await run.step("listCommentReports after removal", mod, "listCommentReports", () => ({}), (res) => {
    expect(res.comment_reports.length === 1, `${res.comment_reports.length} comment reports`);
    expect(res.comment_reports[0].comment_report.resolved === true, "removal did not settle the report");
  });
}

async function postActions(mod, member, r) {
  const postId = () => need(r.post, "createPost").post_view.post.id;
  const communityId = () => need(r.community, "createCommunity").community_view.community.id;
  await run.step("removePost (with reason)", mod, "removePost", () => ({
    post_id: postId(), removed: true, reason: "Off topic",
  }), (res) => expect(res.post_view.post.removed === true, "post not removed"));
  await run.step("getModlog (community, as its moderator)", mod, "getModlog", () => ({
    community_id: communityId(),
  }), (res) => {
    const entry = res.removed_posts.find((e) => e.post.id === postId());
    expect(entry, "the removal is not in the modlog");
    expect(entry.mod_remove_post.reason === "Off topic", `reason ${entry.mod_remove_post.reason}`);
    expect(entry.moderator?.id === mod.id(), "the moderator is not named to a moderator");
    expect(res.removed_comments.length === 1, `${res.removed_comments.length} comment removals`);
  });
  await run.step("getModlog (anonymous)", run.account("anonymous"), "getModlog", () => ({
    community_id: communityId(), type_: "ModRemovePost",
  }), (res) => {
    expect(res.removed_posts.length === 1, `${res.removed_posts.length} post removals listed`);
    expect(res.locked_posts.length === 0, "a list outside type_ is filled");
  });
  await run.step("removePost (restore)", mod, "removePost", () => ({ post_id: postId(), removed: false }),
    (res) => expect(res.post_view.post.removed === false, "post not restored"));
  await run.step("lockPost", mod, "lockPost", () => ({ post_id: postId(), locked: true }),
    (res) => expect(res.post_view.post.locked === true, "post not locked"));
  await run.refused("createComment on a locked post", member, "createComment",
    () => ({ post_id: postId(), content: "Too late" }), ["locked"]);
  await run.step("banFromCommunity", mod, "banFromCommunity", () => ({
    community_id: communityId(), person_id: member.id(), ban: true, reason: "Repeated spam",
  }), (res) => expect(res.banned === true, "banned is not true"));
  await run.refused("createPost while banned", member, "createPost",
    () => ({ community_id: communityId(), name: "Let me back" }), ["banned_from_community"]);
  await run.step("getModlog (ban listed)", mod, "getModlog", () => ({ community_id: communityId() }), (res) => {
    const ban = res.banned_from_community[0];
    expect(ban?.banned_person.id === member.id(), "the ban is not in the modlog");
    expect(ban.mod_ban_from_community.reason === "Repeated spam", "ban reason missing");
    expect(res.locked_posts.length === 1, `${res.locked_posts.length} locks listed`);
  });
}

async function messages(sender, recipient, admin, r) {
  r.message = await run.step("createPrivateMessage", sender, "createPrivateMessage", () => ({
    content: "Please stop", recipient_id: recipient.id(),
  }), (res) => expect(res.private_message_view.private_message.content === "Please stop", "content"));
  const messageId = () => need(r.message, "createPrivateMessage").private_message_view.private_message.id;
  await run.step("getPrivateMessages (unread)", recipient, "getPrivateMessages", () => ({ unread_only: true }), (res) => {
    expect(res.private_messages.some((m) => m.private_message.id === messageId()), "the message is not listed");
  });
  await run.step("markPrivateMessageAsRead", recipient, "markPrivateMessageAsRead", () => ({
    private_message_id: messageId(), read: true,
  }), (res) => expect(res.private_message_view.private_message.read === true, "not read"));
  await run.step("getUnreadCount after reading", recipient, "getUnreadCount", null,
    (res) => expect(res.private_messages === 0, `private_messages is ${res.private_messages}`));
  r.pmReport = await run.step("createPrivateMessageReport", recipient, "createPrivateMessageReport", () => ({
    private_message_id: messageId(), reason: "Harassment",
  }), (res) => {
    const view = res.private_message_report_view;
    expect(view.private_message_report.original_pm_text === "Please stop", "original text not kept");
    expect(view.private_message_creator.id === sender.id(), "the sender is not named");
  });
  await run.refused("listPrivateMessageReports (not an admin)", recipient, "listPrivateMessageReports",
    () => ({}), ["not_an_admin"]);
  await run.step("getReportCount (admin)", admin, "getReportCount", () => ({}),
    (res) => expect(res.private_message_reports === 1, `private_message_reports ${res.private_message_reports}`));
  await run.step("listPrivateMessageReports (admin)", admin, "listPrivateMessageReports", () => ({ unresolved_only: true }),
    (res) => expect(res.private_message_reports.length === 1, `${res.private_message_reports.length} reports`));
  await run.step("resolvePrivateMessageReport", admin, "resolvePrivateMessageReport", () => ({
    report_id: need(r.pmReport, "createPrivateMessageReport").private_message_report_view.private_message_report.id,
    resolved: true,
  }), (res) => expect(res.private_message_report_view.private_message_report.resolved === true, "not resolved"));
}

async function adminActions(admin, r) {
  const communityId = () => need(r.community, "createCommunity").community_view.community.id;
  await run.step("hideCommunity", admin, "hideCommunity", () => ({
    community_id: communityId(), hidden: true, reason: "Quiet for now",
  }), (res) => expect(res.success === true, "success is not true"));
  await run.step("purgePost", admin, "purgePost", () => ({
    post_id: need(r.post, "createPost").post_view.post.id, reason: "Illegal",
  }), (res) => expect(res.success === true, "success is not true"));
  await run.step("getModlog (admin: hidden and purged)", admin, "getModlog", () => ({}), (res) => {
    expect(res.hidden_communities.some((e) => e.community.id === communityId()), "the hide is not listed");
    expect(res.admin_purged_posts.some((e) => e.community.id === communityId()), "the purge is not listed");
  });
}

async function main() {
  const mod = run.account(`mod_${suffix}`);
  const member = run.account(`member_${suffix}`);
  const reporter = run.account(`reporter_${suffix}`);
  for (const who of [mod, member, reporter]) await signUp(who);
  const admin = run.account(adminName);
  const login = await run.step("login (admin)", run.account("anonymous"), "login",
    () => ({ username_or_email: adminName, password: adminPassword }));
  if (login?.jwt) run.signIn(admin, login.jwt);

  const r = {};
  r.community = await run.step("createCommunity", mod, "createCommunity", () => ({
    name: `moderated_${suffix}`, title: `Moderated ${suffix}`,
  }));
  const communityId = () => need(r.community, "createCommunity").community_view.community.id;
  r.post = await run.step("createPost", member, "createPost", () => ({
    community_id: communityId(), name: `Reported post ${suffix}`,
  }));
  r.comment = await run.step("createComment", member, "createComment", () => ({
    post_id: need(r.post, "createPost").post_view.post.id, content: "A rude comment",
  }));
  await reports(mod, reporter, r);
  await postActions(mod, member, r);
  await messages(mod, member, admin, r);
  await adminActions(admin, r);
}

main().then(() => run.finish(), (err) => {
  console.log(`FAIL scenario crashed: ${err.stack ?? err}`);
  process.exit(1);
});
