"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** The dashboard's top bar; a reviewer link's pages (/share/<token>) have none: they lead nowhere else. */
export function SiteHeader({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  if (/^\/share\/[^/]+/.test(pathname)) return null;
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        Lineage
      </Link>
      {children}
    </header>
  );
}
