// The help, enhanced. Without this script every form works as a plain GET: the search shows a
// results page, the assistant a page with its answer.
//
// - Search boxes (`form[data-suggest]`): suggestions while typing, as links under the field,
//   fetched from the server's own index once typing pauses; a polite status says how many.
// - The assistant's panel (`[data-assistant]`): the answer is fetched as a fragment and added
//   to the conversation above the field, which stays ready for the next question.
(function () {
  "use strict";

  var PAUSE_MS = 200;

  function suggestions(form) {
    var input = form.querySelector("input[name=q]");
    if (!input) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "link-list help-suggestions";
    list.id = input.id + "-suggestions";
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(status);
    input.parentNode.appendChild(list);
    var timer = null;
    var asked = "";

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.href;
        a.textContent = item.question;
        li.appendChild(a);
        list.appendChild(li);
      });
      status.textContent =
        items.length === 0 ? "" : items.length === 1 ? "1 suggestion" : items.length + " suggestions";
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (typed.length < 2) {
          show([]);
          return;
        }
        asked = typed;
        fetch(form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.ok ? response.json() : [];
          })
          .then(function (items) {
            if (asked === typed) {
              show(items);
            }
          })
          .catch(function () {
            show([]);
          });
      }, PAUSE_MS);
    });
  }

  function assistant(panel) {
    var form = panel.querySelector("form");
    var log = panel.querySelector(".assistant-panel__log");
    var input = form && form.querySelector("input[name=q]");
    if (!form || !log || !input) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var question = input.value.trim();
      if (question === "") {
        return;
      }
      event.preventDefault();
      fetch("/assistant?fragment=1&q=" + encodeURIComponent(question), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("assistant " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          // Server-rendered and escaped by the page templates.
          log.insertAdjacentHTML("beforeend", html);
          input.value = "";
          input.focus();
        })
        .catch(function () {
          form.submit();
        });
    });
  }

  document.querySelectorAll("form[data-suggest]").forEach(suggestions);
  document.querySelectorAll("[data-assistant]").forEach(assistant);
})();
