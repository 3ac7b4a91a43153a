// The approvals inbox: decisions in place (no reload, no jump), focus to the next card,
// keyboard shortcuts. Without this file every form still works and reloads the page.
(() => {
  const cards = () => Array.from(document.querySelectorAll("article.approval:not(.decided)"));

  const focusCard = (card) => {
    if (!card) { const summary = document.getElementById("summary"); if (summary) { summary.tabIndex = -1; summary.focus(); } return; }
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  };

  const current = () => {
    const here = document.activeElement && document.activeElement.closest("article.approval:not(.decided)");
    return here || null;
  };

  const nextAfter = (card) => {
    const all = cards();
    const i = all.indexOf(card);
    return all[i + 1] || all[i - 1] || null;
  };

  const settle = (card, data) => {
    const next = nextAfter(card);
    const note = document.createElement("p");
    note.className = "outcome " + (data.ok ? "ok" : "error");
    note.setAttribute("role", "status");
    note.textContent = data.message;
    if (data.ok && data.status !== "pending") {
      card.classList.add("decided");
      card.querySelectorAll(".actions, .email, .fields, table.mini, .aside, .why, .words, .evidence").forEach((el) => el.remove());
      const box = card.querySelector('input[name="ids"]');
      if (box) box.remove();
      card.appendChild(note);
      card.removeAttribute("tabindex");
      focusCard(next);
    } else {
      const old = card.querySelector(".outcome");
      if (old) old.remove();
      card.appendChild(note);
      focusCard(data.ok ? next : card);
    }
  };

  const decide = async (form) => {
    const card = form.closest("article.approval");
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form), headers: { "Accept": "application/json" } });
      const data = await response.json().catch(() => ({ ok: false, message: "The server answered " + response.status }));
      if (data.detail && !data.message) data.message = data.detail;
      settle(card, data);
    } catch (err) {
      settle(card, { ok: false, status: "pending", message: "The server did not answer: " + err });
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-decide")) return;
    event.preventDefault();
    decide(form);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const all = cards();
    if (!all.length) return;
    const card = current();
    const key = event.key;
    if (key === "j" || key === "k") {
      const i = card ? all.indexOf(card) : -1;
      const to = key === "j" ? Math.min(i + 1, all.length - 1) : Math.max(i - 1, 0);
      focusCard(all[to]);
      event.preventDefault();
    } else if (card && key === "a") {
      const form = card.querySelector("form[action$='/approve']");
      if (form) { event.preventDefault(); decide(form); }
    } else if (card && key === "e") {
      const link = card.querySelector("a[data-edit]");
      if (link) { event.preventDefault(); window.location.href = link.href; }
    } else if (card && key === "r") {
      const details = card.querySelector("details.reject");
      if (details) { event.preventDefault(); details.open = true; details.querySelector("input[name=reason]").focus(); }
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const filters = document.getElementById("filters");
    if (!filters) return;
    filters.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => filters.requestSubmit()));
    filters.addEventListener("submit", (event) => {
      // a short address: only the filters that are set
      event.preventDefault();
      const params = new URLSearchParams();
      for (const [name, value] of new FormData(filters)) {
        if (value && !(name === "sort" && value === "age")) params.append(name, value);
      }
      const query = params.toString();
      window.location.href = "/approvals" + (query ? "?" + query : "");
    });
  });
})();
