// Drag a meeting onto another cell of the schedule grid to move it. Without this script (or
// without a mouse) each meeting's own page has the same move as a form.
(function () {
  "use strict";
  var dragged = null;

  function send(cell) {
    var form = document.getElementById("grid-move");
    if (!form || !dragged) { return; }
    // (not form.action: the form has a field named "action", which shadows that property)
    var url = dragged.dataset.moveUrl;
    form.setAttribute("action", url);
    form.elements.slot.value = cell.dataset.slot;
    form.elements.location.value = cell.dataset.location;
    form.elements.version.value = dragged.dataset.version;
    if (window.htmx) {
      // The server answers with the grid (moved, or the refusal naming the conflict).
      window.htmx.ajax("POST", url, { source: form, target: "#grid", select: "#grid", swap: "outerHTML" });
    } else {
      form.submit();
    }
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".m[draggable='true']");
    if (!item) { return; }
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.moveUrl);
  });
  document.addEventListener("dragover", function (event) {
    var cell = event.target.closest && event.target.closest("#grid td.cell");
    if (cell && dragged) { event.preventDefault(); cell.classList.add("drop-target"); }
  });
  document.addEventListener("dragleave", function (event) {
    var cell = event.target.closest && event.target.closest("#grid td.cell");
    if (cell) { cell.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (event) {
    var cell = event.target.closest && event.target.closest("#grid td.cell");
    if (!cell || !dragged) { return; }
    event.preventDefault();
    cell.classList.remove("drop-target");
    send(cell);
    dragged = null;
  });
})();
