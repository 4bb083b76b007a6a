"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the runs list every 2 s while a run is active. */
export function RunsAutoRefresh() {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(t);
  }, [router]);
  return null;
}
