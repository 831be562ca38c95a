// An upload's record page reloads itself every few seconds while its job runs (the
// reader can pause that); without JavaScript, its "Reload now" link does the same.
document.addEventListener("DOMContentLoaded", () => {
  const progress = document.querySelector("[data-reload-seconds]");
  if (!progress) return;
  const timer = setTimeout(() => window.location.reload(), 1000 * Number(progress.dataset.reloadSeconds));
  const pause = document.getElementById("pause-reload");
  pause.hidden = false;
  pause.addEventListener("click", () => {
    clearTimeout(timer);
    pause.textContent = "Paused";
    pause.disabled = true;
  });
});
