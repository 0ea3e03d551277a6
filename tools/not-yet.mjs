// `pnpm start` will run the all-in-one stack (control plane + edge) once it
// exists; until then it says so plainly instead of pretending.
console.error(
  'herald: the control plane and edge are not built yet (see README.md, "Status"). Today the repository holds the DNS library: run `pnpm test`.',
);
process.exit(1);
