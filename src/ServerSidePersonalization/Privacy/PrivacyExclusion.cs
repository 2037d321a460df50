namespace ServerSidePersonalization.Privacy;

/// <summary>Why a request is neither tracked nor given new ids; <see cref="None"/> when it is an ordinary visit.</summary>
internal enum PrivacyExclusion
{
    None,

    /// <summary>A crawler, preview fetcher, monitor or HTTP tool, or no User-Agent at all: fallback content only.</summary>
    Bot,

    /// <summary>ASP.NET's tracking-consent feature says consent is needed and was not given.</summary>
    Consent,

    /// <summary>The request carries <c>Sec-GPC: 1</c> and Global Privacy Control is honoured.</summary>
    Gpc,
}
