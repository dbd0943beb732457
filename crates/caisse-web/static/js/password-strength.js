// Live strength meter under a new password (registration, « Mot de passe oublié »).
// Progressive enhancement: without this script the rules listed above the field and the
// server's answer are all there is, and the server stays the judge (it also refuses common
// and guessable passwords, which this estimate does not know). The rules come from the
// input's data attributes, written by the server from its PasswordPolicy: data-min,
// data-max, data-specials (separated by spaces).
//
// The bar follows every keystroke; the sentence sits in a polite live region and is only
// rewritten when it changes, so screen readers are not interrupted at each character.
(function () {
  "use strict";

  var LEVELS = [
    "Robustesse estimée : faible.",
    "Robustesse estimée : moyenne.",
    "Robustesse estimée : bonne.",
    "Robustesse estimée : très bonne."
  ];

  // The first rule not met, in the words of the list above the field.
  function firstUnmetRule(value, rules) {
    var length = Array.from(value).length;
    if (length < rules.min || length > rules.max) {
      return "Il doit contenir entre " + rules.min + " et " + rules.max + " caractères.";
    }
    var allowed = Array.from(value).every(function (c) {
      return /[A-Za-z0-9]/.test(c) || rules.specials.indexOf(c) !== -1;
    });
    if (!allowed) {
      return "Il contient un caractère non autorisé (accent, espace ou autre caractère spécial).";
    }
    if (!/[a-z]/.test(value) || !/[A-Z]/.test(value)) {
      return "Il doit contenir au moins une lettre minuscule et une lettre majuscule, sans accent.";
    }
    var special = Array.from(value).some(function (c) {
      return rules.specials.indexOf(c) !== -1;
    });
    if (!/[0-9]/.test(value) && !special) {
      return "Il doit contenir au moins un chiffre ou un caractère spécial.";
    }
    return null;
  }

  // A rough estimate, 0 to 3, from the length and the kinds of characters, less for
  // repeated characters and runs like « abcd » or « 1234 ».
  function level(value, rules) {
    var chars = Array.from(value);
    var pool = 0;
    if (/[a-z]/.test(value)) { pool += 26; }
    if (/[A-Z]/.test(value)) { pool += 26; }
    if (/[0-9]/.test(value)) { pool += 10; }
    if (chars.some(function (c) { return rules.specials.indexOf(c) !== -1; })) {
      pool += rules.specials.length;
    }
    var effective = 0;
    for (var i = 0; i < chars.length; i += 1) {
      var here = chars[i].charCodeAt(0);
      var before = i > 0 ? chars[i - 1].charCodeAt(0) : NaN;
      // A repeat or the next character of a run adds little.
      effective += (here === before || here === before + 1 || here === before - 1) ? 0.25 : 1;
    }
    var bits = effective * Math.log(Math.max(pool, 1)) / Math.LN2;
    if (bits < 50) { return 0; }
    if (bits < 65) { return 1; }
    if (bits < 80) { return 2; }
    return 3;
  }

  function attach(input) {
    var meter = document.getElementById(input.getAttribute("data-password-meter"));
    if (!meter) { return; }
    var text = meter.querySelector(".password-meter__text");
    var rules = {
      min: parseInt(input.getAttribute("data-min"), 10) || 0,
      max: parseInt(input.getAttribute("data-max"), 10) || Infinity,
      specials: (input.getAttribute("data-specials") || "").split(" ").join("")
    };
    function update() {
      var value = input.value;
      var unmet = firstUnmetRule(value, rules);
      var score = unmet === null ? level(value, rules) : -1;
      var sentence = value === "" ? "" : (unmet || LEVELS[score]);
      meter.hidden = value === "";
      // The stylesheet draws the bar from data-level (no inline style under the CSP).
      meter.setAttribute("data-level", String(score + 1));
      if (text && text.textContent !== sentence) { text.textContent = sentence; }
    }
    input.addEventListener("input", update);
    // A password given back after a refusal is measured at once.
    if (input.value !== "") { update(); }
  }

  var inputs = document.querySelectorAll("input[data-password-meter]");
  for (var i = 0; i < inputs.length; i += 1) { attach(inputs[i]); }
})();
