// JSON schemas the routes share.
export const signedMessageBody = {
  type: "object",
  required: ["message", "signature"],
  additionalProperties: false,
  properties: {
    message: { type: "string", minLength: 1, maxLength: 4_096 },
    // An EOA signature is 65 bytes; ERC-1271 and ERC-6492 ones are longer.
    signature: { type: "string", pattern: "^0x([0-9a-fA-F]{2})+$", maxLength: 65_536 },
  },
} as const;

export interface SignedMessage {
  message: string;
  signature: `0x${string}`;
}
