// Photos shrink on the phone before they travel: longest side about 1600 px, JPEG.
import { h } from "./dom.js";
import { t } from "./i18n.js";

const LONGEST = 1600;

export async function shrink(file) {
  const bitmap = await loadBitmap(file);
  const scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
}

async function loadBitmap(file) {
  if (typeof createImageBitmap === "function") {
    try { return await createImageBitmap(file, { imageOrientation: "from-image" }); } catch { /* fall through */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Photos for a report: take them with the camera or choose them from the phone, shown as
 * thumbnails that can be removed, and shrunk as they are added. A plain file input, so it
 * works in WeChat's browser too.
 */
export function photoPicker({ max = 9 } = {}) {
  const picked = []; // { blob, figure }
  let pending = Promise.resolve();
  const thumbs = h("div", { class: "thumbs picked" });
  const error = h("p", { class: "error", role: "alert" });
  const take = h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden" });
  const choose = h("input", { type: "file", accept: "image/*", multiple: true, class: "visually-hidden" });
  const buttons = h("div", { class: "photo-buttons" },
    h("label", { class: "secondary photo-button" }, h("span", { text: t("photo.take") }), take),
    h("label", { class: "secondary photo-button" }, h("span", { text: t("photo.choose") }), choose));
  const drop = (entry) => {
    picked.splice(picked.indexOf(entry), 1);
    URL.revokeObjectURL(entry.figure.querySelector("img").src);
    entry.figure.remove();
    buttons.hidden = false;
  };
  const add = async (input) => {
    const files = [...input.files];
    input.value = "";
    error.textContent = "";
    for (const file of files) {
      if (picked.length >= max) { error.textContent = t("photo.too_many", { n: max }); break; }
      let blob;
      try { blob = await shrink(file); } catch { error.textContent = t("photo.unreadable"); continue; }
      const entry = { blob };
      entry.figure = h("figure", { class: "thumb" }, h("img", { src: URL.createObjectURL(blob), alt: t("photo.picked") }),
        h("button", { type: "button", class: "remove", "aria-label": t("photo.remove"), text: "\u00d7", onclick: () => drop(entry) }));
      picked.push(entry);
      thumbs.append(entry.figure);
    }
    buttons.hidden = picked.length >= max;
  };
  for (const input of [take, choose]) {
    input.addEventListener("change", () => { pending = pending.then(() => add(input)); });
  }
  return {
    el: h("div", { class: "photo-picker" }, buttons, thumbs, error),
    /** The photos, once those still being shrunk are ready. */
    async blobs() { await pending; return picked.map((entry) => entry.blob); },
    clear() { for (const entry of [...picked]) drop(entry); },
  };
}
