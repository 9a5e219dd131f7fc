/**
 * Chorus's own exceptions, which any layer may throw and the web layer turns into responses: a request
 * that is not valid ({@link dev.chorus.error.ValidationException}, 400 with each problem), something that
 * does not exist ({@link dev.chorus.error.StudyNotFoundException}, 404) and a store that cannot answer
 * ({@link dev.chorus.error.StoreException}, 503). Depends on nothing else of Chorus.
 */
package dev.chorus.error;
