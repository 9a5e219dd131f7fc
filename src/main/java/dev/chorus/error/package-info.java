/**
 * Chorus's own exceptions, which any layer may throw and the web layer turns into responses: a request
 * that is not valid ({@link dev.chorus.error.ValidationException}, 400 with each problem), something that
 * does not exist ({@link dev.chorus.error.StudyNotFoundException}, 404), a request that conflicts with the
 * state of what it acts on ({@link dev.chorus.error.ConflictException}, 409) and a store that cannot
 * answer ({@link dev.chorus.error.StoreException}, 503). Any other exception reaching the web layer is a
 * bug: a 500 with an id the log names. Depends on nothing else of Chorus.
 */
package dev.chorus.error;
