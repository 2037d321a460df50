namespace ServerSidePersonalization.Http;

/// <summary>A vendor answered with more bytes than the configured cap.</summary>
internal sealed class ResponseTooLargeException(long maxBytes)
    : IOException($"The response is larger than the {maxBytes}-byte cap.");
