// Image files: chosen with the Upload button or dropped on the pad.

/** Call onFile(file) for an uploaded or dropped image. */
export function setupUpload(onFile) {
  const input = document.getElementById("upload");
  const drop = document.getElementById("drop");
  document.getElementById("upload-button").addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    if (input.files[0]) onFile(input.files[0]);
    input.value = "";
  });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("dragging"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("dragging");
    const file = [...(e.dataTransfer?.files ?? [])].find((f) => f.type.startsWith("image/"));
    if (file) onFile(file);
  });
}
