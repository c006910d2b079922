// Keyboard shortcuts for the queue and the review page (listed on each page).
// Keys are ignored while typing in a field, and never submit without the page's own form.
(function () {
  "use strict";
  var selected = -1;

  function typing(event) {
    var tag = (event.target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable;
  }

  function items(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function select(list, step) {
    if (!list.length) { return null; }
    list.forEach(function (item) { item.classList.remove("selected"); });
    selected = Math.max(0, Math.min(list.length - 1, selected + step));
    var item = list[selected];
    item.classList.add("selected");
    item.scrollIntoView({ block: "nearest" });
    if (item.focus) { item.focus({ preventScroll: true }); }
    return item;
  }

  function openDetails(id, focusSelector) {
    var box = document.getElementById(id);
    if (!box) { return; }
    box.open = true;
    var field = box.querySelector(focusSelector || "textarea");
    if (field) { field.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var onReview = document.body.classList.contains("review-page");
    var rows = onReview ? items("ol.findings li.finding") : items("table.queue tbody tr");
    switch (event.key) {
      case "j": select(rows, 1); break;
      case "k": select(rows, -1); break;
      case "Enter":
        if (!onReview && selected >= 0) { rows[selected].querySelector("a.open").click(); }
        break;
      case "t":
        if (onReview && selected >= 0) {
          var button = rows[selected].querySelector("form.toggle button");
          if (button) { button.click(); }
        }
        break;
      case "a":
        if (onReview) {
          var approve = document.getElementById("approve-form");
          if (approve) { approve.requestSubmit(); }
        }
        break;
      case "r": if (onReview) { openDetails("reject-box"); } break;
      case "i": if (onReview) { openDetails("ask-box"); } break;
      case "e": if (onReview) { openDetails("edit-alert-sms-text"); } break;
      case "q": if (onReview) { window.location.href = "/queue"; } break;
      default: return;
    }
    event.preventDefault();
  });
}());
