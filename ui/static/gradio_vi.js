/* Vietnamese texts for Gradio's own upload strings (drop zone, file list buttons, screen-reader
   labels). Gradio picks its built-in texts from the browser's language and ships no Vietnamese;
   gr.I18n translates only the app's own keys, so built-in ones are replaced here, offline, as
   they appear (Gradio renders components lazily, e.g. when a tab opens). */
(function () {
  "use strict";
  // Text shown in the drop zone and while uploading: replaced wherever it appears whole.
  var TEXT = {
    "Drop File Here": "Kéo thả tệp vào đây",
    "- or -": "- hoặc -",
    "Click to Upload": "Bấm để chọn tệp",
    "Uploading...": "Đang tải lên…"
  };
  // Screen-reader labels and tooltips of Gradio's buttons.
  var LABELS = {
    "Click to upload or drop files": "Bấm để chọn tệp hoặc kéo thả tệp vào đây",
    "File upload": "Chọn tệp để tải lên",
    "common.upload": "Thêm tệp",
    "Clear": "Xóa",
    "Remove": "Bỏ tệp này",
    "Download": "Tải xuống"
  };
  var ATTRIBUTES = ["aria-label", "title"];

  function translateText(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var key = node.nodeValue.trim();
      if (TEXT.hasOwnProperty(key)) node.nodeValue = node.nodeValue.replace(key, TEXT[key]);
    }
  }

  function translateLabels(element) {
    ATTRIBUTES.forEach(function (name) {
      var value = element.getAttribute(name);
      if (value && LABELS.hasOwnProperty(value)) element.setAttribute(name, LABELS[value]);
    });
  }

  function translate(root) {
    var element = root.nodeType === 1 ? root : root.parentElement;
    if (!element) return;
    translateText(element);
    translateLabels(element);
    element.querySelectorAll("[aria-label], [title]").forEach(translateLabels);
  }

  var pending = new Set();
  function flush() {
    var roots = Array.from(pending);
    pending.clear();
    roots.forEach(translate);
  }
  new MutationObserver(function (records) {
    if (!pending.size) requestAnimationFrame(flush);
    records.forEach(function (r) { pending.add(r.target); });
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTES
  });
  if (document.body) translate(document.body);
})();
