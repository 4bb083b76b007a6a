// The Share form's choices (no server imports: the form is a client component).

/** How long a link may live, in days. */
export const SHARE_EXPIRY_DAYS = [1, 7, 30, 90] as const;
export const MAX_LABEL = 120;
