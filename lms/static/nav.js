// The header menu folds behind "Menu" on phones; on wider screens it stays open.
(function () {
  var menu = document.querySelector("[data-nav-menu]");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  function fit() {
    menu.classList.toggle("wide", wide.matches);
    menu.open = wide.matches;
  }
  fit();
  wide.addEventListener("change", fit);
})();
