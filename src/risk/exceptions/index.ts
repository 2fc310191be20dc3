export {
  type CoverOptions,
  findCoveringException,
  isExceptionActive,
  isExceptionCovering,
} from './covering.js';
export { EXCEPTION_SCOPES, type ExceptionRequest, makeException } from './make-exception.js';
