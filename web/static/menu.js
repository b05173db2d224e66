/* The navigation as a menu on a phone: the 菜单 button opens and closes the page links and the
 * user's buttons (phone.css shows them in the bar on wider screens). */
(() => {
  const button = document.querySelector(".topbar .menu-button");
  if (!button) return;
  const bar = button.closest(".topbar");
  function toggle(open) {
    bar.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
  }
  button.addEventListener("click", () => toggle(!bar.classList.contains("open")));
  document.addEventListener("keydown", event => { if (event.key === "Escape") toggle(false); });
  document.addEventListener("click", event => { if (!bar.contains(event.target)) toggle(false); });
})();
