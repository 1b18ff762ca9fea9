package dev.claudebottle.dlp.internal;

/**
 * Bytes produced by a decoder, with the source index each decoded byte came from.
 *
 * @param bytes decoded bytes, valid in {@code [0, length)}
 * @param length number of decoded bytes
 * @param sourceIndex for each decoded byte, the index of the first source byte it was decoded from;
 *     entry {@code length} is the index just after the last source byte consumed
 */
public record Decoded(byte[] bytes, int length, int[] sourceIndex) {
}
