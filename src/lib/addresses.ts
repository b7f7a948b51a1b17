/** How an address from the configuration is written out, the Swedish way. */

/** An address in its parts, as the configuration gives it (src/config/schema.ts). */
export interface AddressParts {
  name?: string | undefined;
  street?: string | undefined;
  postalCode: string;
  locality: string;
}

/** The address's lines as Swedish post writes them: name, street, then postcode and town on one line. */
export function addressLines(address: AddressParts): string[] {
  return [address.name, address.street, `${address.postalCode} ${address.locality}`].filter((line): line is string => line !== undefined);
}
