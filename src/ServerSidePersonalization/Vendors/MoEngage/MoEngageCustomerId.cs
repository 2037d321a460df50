namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>How the signed-in customer's id is sent to MoEngage, in the fetch's and the events' <c>customer_id</c>.</summary>
public enum MoEngageCustomerId
{
    /// <summary>
    /// The id as the site knows it, email addresses included: MoEngage's <c>customer_id</c> is "the phone number, email
    /// ID, or any other unique ID used to uniquely identify the user in MoEngage", so it finds the user's profile.
    /// </summary>
    AsIs,

    /// <summary>
    /// A customer id that is an email address is sent as the SHA-256 of the trimmed, lower-cased address (64 lower-case
    /// hex digits); other ids as they are. Only for workspaces whose users are known by that hash.
    /// </summary>
    Sha256,
}
