// The site's only script: a search over all objects and a filter for long tables. No network.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  // Table filters: <input data-filter="table-id"> hides rows that do not contain the text.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        if (tr.classList.contains("group")) { tr.hidden = q !== ""; return; }
        tr.hidden = q !== "" && tr.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  // Search: window.ISMS_INDEX = [{k: kind, t: title, u: url relative to the site root,
  // x: other words of the object}]. Objects whose title matches come first.
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!box || !list) return;
  function show() {
    var index = window.ISMS_INDEX || [];
    var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { list.hidden = true; return; }
    function all(text) {
      text = text.toLowerCase();
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    }
    var titled = [], other = [];
    index.forEach(function (o) {
      if (all(o.k + " " + o.t)) titled.push(o);
      else if (all(o.k + " " + o.t + " " + (o.x || ""))) other.push(o);
    });
    var hits = titled.concat(other).slice(0, 40);
    hits.forEach(function (o, i) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + o.u;
      if (i === 0) a.className = "sel";
      var k = document.createElement("span");
      k.className = "k";
      k.textContent = o.k;
      a.appendChild(k);
      a.appendChild(document.createTextNode(o.t));
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!hits.length) {
      var li = document.createElement("li");
      li.textContent = "No match";
      li.style.padding = ".3rem .8rem";
      list.appendChild(li);
    }
    list.hidden = false;
  }
  box.addEventListener("input", show);
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var first = list.querySelector("a"); if (first) window.location.href = first.href; }
    if (e.key === "Escape") { box.value = ""; show(); }
  });
  document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== box) list.hidden = true; });
})();
