namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>
/// Session tokens by source customer id, each used for <see cref="CardlyticsOptions.SessionLifetime"/> (less than its
/// 15-minute life) and at most <see cref="CardlyticsOptions.MaxSessions"/> kept: when full, expired ones go, then the
/// one that expires first. Only the dispatcher's one delivery loop for the destination uses it, but it is locked anyway.
/// </summary>
internal sealed class CardlyticsSessions(CardlyticsOptions options, TimeProvider time)
{
    private readonly Dictionary<string, (string Token, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_tokens)
            {
                return _tokens.Count;
            }
        }
    }

    /// <summary>The cached, still fresh token of <paramref name="sourceId"/>, or null.</summary>
    public string? Get(string sourceId)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(sourceId, out var entry) && entry.Until > time.GetUtcNow())
            {
                return entry.Token;
            }

            _tokens.Remove(sourceId);
            return null;
        }
    }

    public void Set(string sourceId, string token)
    {
        var now = time.GetUtcNow();
        lock (_tokens)
        {
            if (_tokens.Count >= options.MaxSessions && !_tokens.ContainsKey(sourceId))
            {
                foreach (var expired in _tokens.Where(t => t.Value.Until <= now).Select(t => t.Key).ToList())
                {
                    _tokens.Remove(expired);
                }

                if (_tokens.Count >= options.MaxSessions)
                {
                    _tokens.Remove(_tokens.MinBy(t => t.Value.Until).Key);
                }
            }

            _tokens[sourceId] = (token, now + options.SessionLifetime);
        }
    }

    /// <summary>Forgets <paramref name="token"/> of <paramref name="sourceId"/> (Cardlytics refused it: it expired early).</summary>
    public void Remove(string sourceId, string token)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(sourceId, out var entry) && entry.Token == token)
            {
                _tokens.Remove(sourceId);
            }
        }
    }
}
