// Runs once when the server starts: opens the database (applying embedded migrations, refusing a locked or newer
// folder with a message) so that problems surface at start, not on the first page view.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerServices } = await import("./lib/server-start");
  await startServerServices();
}
