namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>The faults <see cref="FaultyL2Store"/> can inject (public only so that theories can take one).</summary>
public enum L2Fault
{
    None,
    Throw,
    Hang,
    WrongCount,
}
