// Moot: voting and replying without a reload. Every form also works without this script
// (plain POST, then a redirect); this only sends the same form with fetch and updates the page.
"use strict";

function send(form, submitter) {
  var data = new FormData(form);
  // A vote form's two buttons carry the score: send the one that was pressed.
  if (submitter && submitter.name) { data.set(submitter.name, submitter.value); }
  return fetch(form.action, {
    method: "POST",
    body: new URLSearchParams(data),
    headers: { "X-Requested-With": "moot" },
    credentials: "same-origin",
  }).then(function (response) {
    return response.json().then(function (data) {
      if (!response.ok) { throw new Error(data.error || "error"); }
      return data;
    });
  });
}

function showVotes(box, data) {
  var up = box.querySelector("button.up"), down = box.querySelector("button.down");
  up.querySelector(".n").textContent = data.upvotes;
  down.querySelector(".n").textContent = data.downvotes;
  up.setAttribute("aria-pressed", data.my_vote === 1 ? "true" : "false");
  down.setAttribute("aria-pressed", data.my_vote === -1 ? "true" : "false");
  // The next click on the same arrow takes the vote back.
  up.value = data.my_vote === 1 ? "0" : "1";
  down.value = data.my_vote === -1 ? "0" : "-1";
}

function vote(form, submitter) {
  var box = form;
  box.classList.add("busy");
  send(form, submitter).then(function (data) { showVotes(box, data); })
    .catch(function () { form.dataset.plain = "1"; form.requestSubmit(submitter); })
    .finally(function () { box.classList.remove("busy"); });
}

function reply(form) {
  var button = form.querySelector("button[type=submit]");
  button.disabled = true;
  send(form).then(function (data) {
    var parent = form.closest(".comment");
    var holder = parent ? parent.querySelector(".children") : document.querySelector(".tree");
    var template = document.createElement("template");
    template.innerHTML = data.html;
    holder.insertBefore(template.content, holder.firstChild);
    form.reset();
    var details = form.closest("details.reply");
    if (details) { details.open = false; }
    var added = document.getElementById("c" + data.id);
    if (added) { added.querySelector("summary").focus(); }
  }).catch(function () { form.submit(); })
    .finally(function () { button.disabled = false; });
}

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.classList.contains("votes") && !form.dataset.plain) {
    event.preventDefault();
    vote(form, event.submitter);
  } else if (form.classList.contains("reply-form") || form.classList.contains("comment-form")) {
    event.preventDefault();
    reply(form);
  }
});
