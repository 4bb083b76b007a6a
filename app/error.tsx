"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="alert error" role="alert">
      <p>
        <strong>Something went wrong.</strong> {error.message}
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
