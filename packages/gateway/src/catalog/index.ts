// What the gateway sells, below both the HTTP layer and chain/: the types every catalog shares and the fixed one.
export { StaticCatalog, type CatalogLookup, type CatalogModel, type ModelCatalog, type ServedModel, type ServedOffering } from "./catalog.ts";
