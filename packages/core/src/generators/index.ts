export { applyGenerators } from './apply.js';
export { generateValue, canonicalGeneratorType, type GeneratorContext } from './generate.js';
export { formatJavaDate, evaluateDateExpression } from './datetime.js';
