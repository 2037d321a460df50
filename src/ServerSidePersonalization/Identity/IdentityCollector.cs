namespace ServerSidePersonalization.Identity;

/// <summary>
/// Gathers the ids offered by the sources of one request: the first valid offer of each kind wins, invalid ones are
/// dropped (and counted) without ever being echoed.
/// </summary>
internal sealed class IdentityCollector(IdentifierValidator validator)
{
    private Dictionary<string, string>? _identifiers;

    public string? CustomerId { get; private set; }

    public string? VisitorId { get; private set; }

    public string? SessionId { get; private set; }

    public int Rejected { get; private set; }

    public IReadOnlyDictionary<string, string>? Identifiers => _identifiers;

    public void OfferCustomerId(string? value, string origin)
    {
        if (Accept(value, origin) is { } id)
        {
            CustomerId ??= id;
        }
    }

    public void OfferVisitorId(string? value, string origin)
    {
        if (Accept(value, origin) is { } id)
        {
            VisitorId ??= id;
        }
    }

    public void OfferSessionId(string? value, string origin)
    {
        if (Accept(value, origin) is { } id)
        {
            SessionId ??= id;
        }
    }

    private string? Accept(string? value, string origin)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!validator.IsValid(value))
        {
            Rejected++;
            return null;
        }

        // Kept as found: what each vendor is sent (and whether hashed) is that vendor module's choice.
        _identifiers ??= new Dictionary<string, string>(StringComparer.Ordinal);
        _identifiers.TryAdd(origin, value);
        return value;
    }
}
