import Link from "next/link";

export default function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        This page or record does not exist (it may have been deleted). <Link href="/models">Go to models</Link>.
      </p>
    </>
  );
}
