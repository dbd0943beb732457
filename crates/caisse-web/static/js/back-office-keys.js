// The advisor's thread workspace in the back office, once JavaScript runs: the action panels
// (reply, note, taking charge, status and transfer, closing…) become tabs, and keyboard
// shortcuts reach the frequent actions. Every target declares its own combination in
// aria-keyshortcuts (« Alt+Shift+R »), which this script reads: the page, not the script, says
// which shortcuts exist. Shortcuts are ignored while the focus is in a field, so typing is
// never taken for a command. A link is followed, a text field focused, a button only focused
// (Entrée confirms it). Without this script, every panel shows one after the other and
// « Fil suivant » is a plain link.
(function () {
  'use strict';

  // --- Tabs ---------------------------------------------------------------------------
  var tabs = [];

  function selectPanel(panelId, moveFocus) {
    tabs.forEach(function (tab) {
      var selected = tab.getAttribute('aria-controls') === panelId;
      var panel = document.getElementById(tab.getAttribute('aria-controls'));
      tab.setAttribute('aria-selected', selected ? 'true' : 'false');
      tab.tabIndex = selected ? 0 : -1;
      if (panel) {
        panel.hidden = !selected;
      }
      if (selected && moveFocus) {
        tab.focus();
      }
    });
  }

  // Shows the panel holding `element`, if it is a hidden tab panel.
  function reveal(element) {
    var panel = element && element.closest ? element.closest('[role="tabpanel"]') : null;
    if (panel && panel.hidden) {
      selectPanel(panel.id, false);
    }
  }

  var container = document.querySelector('[data-onglets]');
  var panels = container
    ? Array.prototype.filter.call(container.children, function (child) {
      return child.hasAttribute('data-onglet') && child.id;
    })
    : [];
  if (panels.length > 1) {
    var list = document.createElement('div');
    list.className = 'action-tabs__list';
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-label', container.getAttribute('data-onglets') || 'Actions');
    panels.forEach(function (panel) {
      var tab = document.createElement('button');
      tab.type = 'button';
      tab.className = 'action-tabs__tab';
      tab.id = 'onglet-' + panel.id;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', panel.id);
      tab.textContent = panel.getAttribute('data-onglet');
      tab.addEventListener('click', function () {
        selectPanel(panel.id, false);
      });
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      list.appendChild(tab);
      tabs.push(tab);
    });
    // Arrow keys move between tabs (and show their panel), Home and End to the ends.
    list.addEventListener('keydown', function (event) {
      var index = tabs.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      var next = null;
      if (event.key === 'ArrowRight') {
        next = (index + 1) % tabs.length;
      } else if (event.key === 'ArrowLeft') {
        next = (index - 1 + tabs.length) % tabs.length;
      } else if (event.key === 'Home') {
        next = 0;
      } else if (event.key === 'End') {
        next = tabs.length - 1;
      }
      if (next !== null) {
        event.preventDefault();
        selectPanel(tabs[next].getAttribute('aria-controls'), true);
      }
    });
    container.insertBefore(list, container.firstChild);
    container.classList.add('action-tabs--tabbed');

    // The first panel, unless the page points elsewhere: the address's #target, a field in
    // error, or a note being written (a draft kept after a conflict) with no reply.
    var first = panels[0];
    var target = null;
    if (window.location.hash.length > 1) {
      target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    }
    target = target || container.querySelector('.field--invalid');
    var note = document.getElementById('note');
    var reply = document.getElementById('reponse');
    if (!target && note && note.value && !(reply && reply.value)) {
      target = note;
    }
    var start = target ? panels.filter(function (panel) {
      return panel.contains(target);
    })[0] : null;
    selectPanel((start || first).id, false);

    // A link to a field of a hidden panel (the error summary, the conflict notice) shows the
    // panel before the browser goes to the field.
    document.addEventListener('click', function (event) {
      var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
      if (link && link.getAttribute('href').length > 1) {
        reveal(document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1))));
      }
    });
    window.addEventListener('hashchange', function () {
      reveal(document.getElementById(decodeURIComponent(window.location.hash.slice(1))));
    });
  }

  // --- Shortcuts ----------------------------------------------------------------------
  var shortcuts = {};
  Array.prototype.forEach.call(document.querySelectorAll('[aria-keyshortcuts]'), function (element) {
    element.getAttribute('aria-keyshortcuts').split(/\s+/).forEach(function (combination) {
      if (combination) {
        shortcuts[combination.toLowerCase()] = element;
      }
    });
  });

  function typing(element) {
    if (!element || !element.tagName) {
      return false;
    }
    var tag = element.tagName;
    return element.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
  }

  // The letter pressed: the character when it is one (any keyboard layout), else the key's
  // place (macOS turns Option+Shift+letter into another character).
  function letterOf(event) {
    if (event.key && event.key.length === 1 && /[a-z]/i.test(event.key)) {
      return event.key.toLowerCase();
    }
    return /^Key[A-Z]$/.test(event.code || '') ? event.code.slice(3).toLowerCase() : '';
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var letter = letterOf(event);
    if (!letter) {
      return;
    }
    var combination = (event.altKey ? 'alt+' : '') + (event.shiftKey ? 'shift+' : '') + letter;
    var target = shortcuts[combination];
    if (!target) {
      return;
    }
    event.preventDefault();
    reveal(target);
    if (target.tagName === 'A') {
      target.click();
      return;
    }
    target.focus();
    if (target.tagName === 'TEXTAREA' && target.setSelectionRange) {
      var end = target.value.length;
      target.setSelectionRange(end, end);
    }
  });
})();
