export default function ShareNotFound() {
  return (
    <>
      <h1>This link does not open</h1>
      <p>
        A reviewer link works until it expires or its maker revokes it; this one has expired, was revoked, or never existed. Ask the person who shared it for a
        new link.
      </p>
    </>
  );
}
