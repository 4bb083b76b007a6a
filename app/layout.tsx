import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { ReactNode } from "react";
import { Nav } from "@/components/nav";
import { SignOutForm } from "@/components/sign-in-form";
import { currentActor } from "@/lib/access/roles";
import { SiteHeader } from "@/components/site-header";
import { Providers } from "./providers";
import "./globals.css";
import { Isolate } from "@/components/isolate";

// Every page reads the database: never prerender at build time (the build must not open the embedded database).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Lineage", template: "%s · Lineage" },
  description: "Profile the attributes of language models and steer them through synthetic data.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // What the header shows of who is signed in; the check itself is proxy.ts's (every request) and each action's.
  const actor = await currentActor();
  const signedIn = actor && actor.via === "session" ? actor : null;
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader>
          {actor ? <Nav admin={signedIn?.role === "admin"} signedIn={!!signedIn} /> : null}
          {signedIn ? (
            <div className="who">
              <span>
                <Isolate>{signedIn.name}</Isolate> · {signedIn.role}
              </span>
              <SignOutForm />
            </div>
          ) : null}
        </SiteHeader>
        <Providers>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
