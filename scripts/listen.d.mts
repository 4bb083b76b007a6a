// Types of scripts/listen.mjs for the tests that import it.
export declare const DEFAULT_HOST: string;
export declare const OPT_IN_VARIABLE: string;
export declare function isLoopbackHost(host: string): boolean;
export declare function urlOf(host: string, port: string | number): string;
export declare function resolveListenHost(
  env?: Record<string, string | undefined>,
): { ok: true; host: string; loopback: boolean } | { ok: false; message: string };
