// swagger-parser's meta-schema check, which the package ships without types.
declare module '@apidevtools/swagger-parser/lib/validators/schema.js' {
  /** Throws an error with `details` (ajv errors) when the document breaks the OpenAPI meta-schema. */
  export default function validateSchema(api: object): void;
}
