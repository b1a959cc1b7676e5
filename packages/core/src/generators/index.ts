export { applyGenerators } from './apply.js';
export {
  generateValue,
  canonicalGeneratorType,
  generatorProblem,
  MAX_GENERATED_LENGTH,
  type GeneratorContext,
  type GeneratorProblem,
} from './generate.js';
export { formatJavaDate, evaluateDateExpression } from './datetime.js';
