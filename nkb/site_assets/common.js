/* nkb common: written for nkb (see ASSETS-LICENSE.txt).
   The helpers the timeline and search pages share, loaded before either. */
var NKB = (function () {
  "use strict";
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function byId(id) { return document.getElementById(id); }
  function el(name, cls, text) {
    var node = document.createElement(name);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  return { fold: fold, $: byId, el: el };
})();
