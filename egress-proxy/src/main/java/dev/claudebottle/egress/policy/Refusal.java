package dev.claudebottle.egress.policy;

/**
 * Why a request was refused.
 *
 * @param rule stable identifier of the check that fired (for example {@code not_allowlisted});
 *     it appears in the 403 body and the audit log
 * @param status HTTP status sent to the client
 * @param reason one sentence for the user, naming the input; it never contains a secret value
 */
public record Refusal(String rule, int status, String reason) {

    public static Refusal forbidden(String rule, String reason) {
        return new Refusal(rule, 403, reason);
    }

    public static Refusal badRequest(String rule, String reason) {
        return new Refusal(rule, 400, reason);
    }
}
