namespace ServerSidePersonalization.Caching;

/// <summary>One entry to write to L2.</summary>
/// <param name="Key">The store key; it never contains a raw user id.</param>
/// <param name="Value">The serialized entry.</param>
/// <param name="TimeToLive">When the store should drop it.</param>
public readonly record struct L2Entry(string Key, byte[] Value, TimeSpan TimeToLive);
