export { applyGenerators } from './apply.js';
export {
  generateValue,
  canonicalGeneratorType,
  generatorProblem,
  type GeneratorContext,
  type GeneratorProblem,
} from './generate.js';
export { MAX_GENERATED_LENGTH } from './regex.js';
export { formatJavaDate, evaluateDateExpression } from './datetime.js';
