"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/models", label: "Models" },
  { href: "/lineage", label: "Family tree" },
  { href: "/leaderboard", label: "Leaderboard" },
  { href: "/runs", label: "Runs" },
  { href: "/compare", label: "Compare" },
  { href: "/datasets", label: "Datasets" },
  { href: "/scorers", label: "Scorers" },
  { href: "/attributes", label: "Attributes" },
  { href: "/share", label: "Shared links" },
  { href: "/audit", label: "Audit" },
];

export function Nav({ admin = false, signedIn = false }: { admin?: boolean; signedIn?: boolean }) {
  const pathname = usePathname();
  const links = [...LINKS, ...(signedIn ? [{ href: "/tokens", label: "API tokens" }] : []), ...(admin ? [{ href: "/users", label: "Users" }] : [])];
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {links.map((l) => (
          <li key={l.href}>
            <Link href={l.href} aria-current={pathname === l.href || pathname.startsWith(l.href + "/") ? "page" : undefined}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
