// An offering's metadata URI: Launchpad.launch keeps it in the Launched event only, so the wizard
// writes the description into the URI itself, a data: URI of JSON (base64 of its UTF-8 bytes, as
// on-chain NFT metadata does), and needs no storage service. readMetadata reads it back for the
// offering and model pages; a URI that is not one of these reads as no metadata, never an error.

/** Longest description the wizard takes, characters: every byte is calldata the issuer pays gas for. */
export const DESCRIPTION_MAX = 500;

export interface OfferingMetadata {
  description: string;
}

const PREFIX = "data:application/json;base64,";

/** The URI `launch` takes for this metadata; "" when there is nothing to say. */
export function metadataUri({ description }: OfferingMetadata): string {
  const text = description.trim();
  if (!text) return "";
  const bytes = new TextEncoder().encode(JSON.stringify({ description: text }));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return PREFIX + btoa(binary);
}

/** The metadata in a URI the wizard wrote; undefined for any other URI. */
export function readMetadata(uri: string): OfferingMetadata | undefined {
  if (!uri.startsWith(PREFIX)) return undefined;
  try {
    const binary = atob(uri.slice(PREFIX.length));
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    const description = (json as { description?: unknown } | null)?.description;
    return typeof description === "string" ? { description } : undefined;
  } catch {
    return undefined;
  }
}
