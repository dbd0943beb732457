// Live character count of the fields that carry `data-max-chars` (« Ma messagerie »: the
// subject and the message). Progressive enhancement: without this script the hint states the
// limit and the checked form shows the count. The limit always comes from the page (the
// server's MessageLimits), never from here.
//
// The visible count follows every keystroke; screen readers hear it through a polite live
// region written only once typing pauses, so they are not interrupted at each character.
(function () {
  "use strict";

  var PAUSE_MS = 1000;

  // Counts as the server does (Subject::counted_chars, Body::counted_chars): a line break is
  // one character, surrounding white space does not count, and characters are Unicode code
  // points (an emoji is one, not two as `maxlength` would have it).
  function counted(value) {
    return Array.from(value.replace(/\r\n?/g, "\n").trim()).length;
  }

  // 12345 → « 12 345 », with a no-break space, as the server writes numbers.
  function frenchNumber(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  function describe(count, max) {
    var left = max - count;
    if (left > 1) {
      return "Il vous reste " + frenchNumber(left) + " caractères";
    }
    if (left === 1) {
      return "Il vous reste 1 caractère";
    }
    if (left === 0) {
      return "Il ne vous reste aucun caractère";
    }
    var over = -left;
    return "Vous avez " + frenchNumber(over) + (over > 1 ? " caractères" : " caractère") +
      " en trop";
  }

  function enhance(field) {
    var max = parseInt(field.getAttribute("data-max-chars"), 10);
    if (!(max > 0) || !field.id) {
      return;
    }
    // The count the server printed after a check, or a new one, read with the field.
    var countId = field.id + "-compte";
    var count = document.getElementById(countId);
    if (!count) {
      count = document.createElement("p");
      count.id = countId;
      field.insertAdjacentElement("afterend", count);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + countId : countId);
    }
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    count.insertAdjacentElement("afterend", live);

    var timer = null;
    function update(announce) {
      var n = counted(field.value);
      var text = describe(n, max);
      count.textContent = text;
      count.className = n > max ? "field__count field__count--over" : "field__count";
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          live.textContent = text;
        }, PAUSE_MS);
      }
    }
    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  }

  var fields = document.querySelectorAll("[data-max-chars]");
  for (var i = 0; i < fields.length; i += 1) {
    enhance(fields[i]);
  }
})();
