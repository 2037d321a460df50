using System.Text.Json;
using System.Text.Json.Nodes;
using ServerSidePersonalization.Vendors.DynamicYield;
using ServerSidePersonalization.Vendors.DynamicYield.Events;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>
/// The rules of Dynamic Yield's event document, checked where an event is made: a bad event throws an
/// <see cref="ArgumentException"/> whose <c>ParamName</c> is the wire field, so nothing can be queued from it.
/// </summary>
public sealed class DynamicYieldEventValidationTests
{
    private const string Hash = "62eccc43b550b012b7ea7fb07e64baafb1508d8b715a55148ccf0f3322eab1a1";
    private const string RawEmail = "jane.doe@example.com";

    private static readonly CartItem[] Cart = [new("p-tv78615a", 1, 249.90m)];

    /// <summary>Each case: a constructor call the document forbids, and the field it must name.</summary>
    private static readonly Dictionary<string, (Func<object> Create, string Field)> Invalid = new()
    {
        ["add-to-cart negative value"] = (() => new AddToCartEvent(-0.01m, "p-1", 1), "value"),
        ["add-to-cart negative quantity"] = (() => new AddToCartEvent(10m, "p-1", -1), "quantity"),
        ["add-to-cart no productId"] = (() => new AddToCartEvent(10m, null!, 1), "productId"),
        ["add-to-cart blank productId"] = (() => new AddToCartEvent(10m, " ", 1), "productId"),
        ["add-to-cart blank currency"] = (() => new AddToCartEvent(10m, "p-1", 1, currency: ""), "currency"),
        ["add-to-cart null cart item"] = (() => new AddToCartEvent(10m, "p-1", 1, cart: [null!]), "cart"),
        ["add-to-cart blank name"] = (() => new AddToCartEvent(10m, "p-1", 1, name: " "), "name"),
        ["remove-from-cart negative value"] = (() => new RemoveFromCartEvent(-1m, "p-1", 1), "value"),
        ["remove-from-cart negative quantity"] = (() => new RemoveFromCartEvent(1m, "p-1", -2), "quantity"),
        ["remove-from-cart no productId"] = (() => new RemoveFromCartEvent(1m, "", 1), "productId"),
        ["sync-cart no cart"] = (() => new SyncCartEvent(null!), "cart"),
        ["cart item no productId"] = (() => new CartItem("", 1, 1m), "productId"),
        ["cart item negative quantity"] = (() => new CartItem("p-1", -1, 1m), "quantity"),
        ["cart item negative itemPrice"] = (() => new CartItem("p-1", 1, -1m), "itemPrice"),
        ["purchase no cart"] = (() => new PurchaseEvent(10m, null!), "cart"),
        ["purchase empty cart"] = (() => new PurchaseEvent(10m, []), "cart"),
        ["purchase negative value"] = (() => new PurchaseEvent(-10m, Cart), "value"),
        ["purchase 65-character transaction id"] = (() => new PurchaseEvent(10m, Cart, new string('t', 65)), "uniqueTransactionId"),
        ["purchase empty transaction id"] = (() => new PurchaseEvent(10m, Cart, ""), "uniqueTransactionId"),
        ["login raw email"] = (() => new LoginEvent(hashedEmail: RawEmail), "hashedEmail"),
        ["login upper-case hash"] = (() => new LoginEvent(hashedEmail: Hash.ToUpperInvariant()), "hashedEmail"),
        ["login short hash"] = (() => new LoginEvent(hashedEmail: Hash[..63]), "hashedEmail"),
        ["login cuidType without cuid"] = (() => new LoginEvent(cuidType: "crmId"), "cuid"),
        ["login hashedEmail and cuid"] = (() => new LoginEvent(hashedEmail: Hash, cuid: "c-1"), "cuid"),
        ["login blank cuid"] = (() => new LoginEvent(cuid: " "), "cuid"),
        ["login blank cuidType"] = (() => new LoginEvent(cuid: "c-1", cuidType: ""), "cuidType"),
        ["signup raw email"] = (() => new SignupEvent(hashedEmail: RawEmail), "hashedEmail"),
        ["signup cuidType without cuid"] = (() => new SignupEvent(cuidType: "crmId"), "cuid"),
        ["identify no customer id"] = (() => new IdentifyEvent(), "hashedEmail"),
        ["identify raw email"] = (() => new IdentifyEvent(hashedEmail: RawEmail), "hashedEmail"),
        ["identify cuidType only"] = (() => new IdentifyEvent(cuidType: "crmId"), "cuid"),
        ["wishlist no productId"] = (() => new AddToWishlistEvent(null!), "productId"),
        ["newsletter no hashedEmail"] = (() => new NewsletterSubscriptionEvent(null!), "hashedEmail"),
        ["newsletter raw email"] = (() => new NewsletterSubscriptionEvent(RawEmail), "hashedEmail"),
        ["keyword search empty"] = (() => new KeywordSearchEvent(""), "keywords"),
        ["keyword search blank"] = (() => new KeywordSearchEvent("   "), "keywords"),
        ["video no itemId"] = (() => new VideoWatchEvent(""), "itemId"),
        ["video percent without progress"] = (() => new VideoWatchEvent("v-1", progressPercent: 50m), "progressPercent"),
        ["video percent with another progress"] = (() => new VideoWatchEvent("v-1", progress: VideoWatchProgress.VideoFinished, progressPercent: 50m), "progressPercent"),
        ["video percent over 100"] = (() => new VideoWatchEvent("v-1", progress: VideoWatchProgress.VideoProgress, progressPercent: 100.5m), "progressPercent"),
        ["video negative percent"] = (() => new VideoWatchEvent("v-1", progress: VideoWatchProgress.VideoProgress, progressPercent: -1m), "progressPercent"),
        ["video undefined progress"] = (() => new VideoWatchEvent("v-1", progress: (VideoWatchProgress)42), "progress"),
        ["custom no name"] = (() => new CustomEvent(""), "name"),
        ["custom negative value"] = (() => new CustomEvent("Quote", value: -5m), "value"),
        ["custom currency without value"] = (() => new CustomEvent("Quote", currency: "EUR"), "currency"),
        ["custom null property"] = (() => new CustomEvent("Quote", Props(("plan", null))), "properties"),
        ["custom nested property"] = (() => new CustomEvent("Quote", Props(("plan", new { tier = "gold" }))), "properties"),
        ["custom array property"] = (() => new CustomEvent("Quote", Props(("plans", new[] { "a", "b" }))), "properties"),
        ["custom date property"] = (() => new CustomEvent("Quote", Props(("at", DateTimeOffset.UnixEpoch))), "properties"),
        ["custom NaN property"] = (() => new CustomEvent("Quote", Props(("score", double.NaN))), "properties"),
        ["custom infinite property"] = (() => new CustomEvent("Quote", Props(("score", float.PositiveInfinity))), "properties"),
        ["custom dyType property"] = (() => new CustomEvent("Quote", Props(("dyType", "purchase-v1"))), "properties"),
        ["custom value property"] = (() => new CustomEvent("Quote", Props(("value", 5))), "properties"),
        ["custom blank property name"] = (() => new CustomEvent("Quote", Props((" ", "x"))), "properties"),
    };

    public static TheoryData<string> InvalidCases => [.. Invalid.Keys];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Constructor_AgainstTheDocument_ThrowsNamingTheField(string invalidCase)
    {
        var (create, field) = Invalid[invalidCase];

        var error = Assert.ThrowsAny<ArgumentException>(create);

        Assert.Equal(field, error.ParamName);
    }

    [Theory]
    [InlineData(RawEmail)]
    [InlineData("Jane.Doe@Example.com")]
    public void HashedEmail_RawAddress_MessageDoesNotRepeatIt(string email)
    {
        var error = Assert.Throws<ArgumentException>(() => new LoginEvent(hashedEmail: email));

        Assert.DoesNotContain(email, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(nameof(DynamicYieldEmail.Hash), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RawEmail)]
    [InlineData("  Jane.Doe@EXAMPLE.com\t")]
    public void Hash_Address_IsSha256HexOfTheTrimmedLowerCasedAddress(string email)
    {
        // sha256("jane.doe@example.com"), computed outside .NET.
        Assert.Equal("86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d", DynamicYieldEmail.Hash(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Hash_NoAddress_ThrowsNamingEmail(string? email)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => DynamicYieldEmail.Hash(email!));

        Assert.Equal("email", error.ParamName);
    }

    [Fact]
    public void Hash_Result_IsAcceptedAsHashedEmail()
    {
        var subscription = new NewsletterSubscriptionEvent(DynamicYieldEmail.Hash(RawEmail));

        Assert.Equal(DynamicYieldEmail.Hash(RawEmail), subscription.HashedEmail);
    }

    [Fact]
    public void Constructor_Limits_AreAccepted()
    {
        // The edges the document allows: zero amounts, a 64-character transaction id, 0 and 100 per cent, an empty synced cart.
        Assert.Equal(0m, new AddToCartEvent(0m, "p-1", 0).Value);
        Assert.Equal(64, new PurchaseEvent(0m, [new CartItem("p-1", 0, 0m)], new string('t', 64)).UniqueTransactionId!.Length);
        Assert.Equal(100m, new VideoWatchEvent("v-1", progress: VideoWatchProgress.VideoProgress, progressPercent: 100m).ProgressPercent);
        Assert.Equal(0m, new VideoWatchEvent("v-1", progress: VideoWatchProgress.VideoProgress, progressPercent: 0m).ProgressPercent);
        Assert.Empty(new SyncCartEvent([]).Cart);
        Assert.Null(new LoginEvent().HashedEmail);
        Assert.Equal("c-1", new IdentifyEvent(cuid: "c-1").Cuid);
    }

    [Fact]
    public void Name_NotGiven_IsTheDocumentsDisplayName()
    {
        string[] names =
        [
            new AddToCartEvent(1m, "p-1", 1).Name,
            new RemoveFromCartEvent(1m, "p-1", 1).Name,
            new SyncCartEvent(Cart).Name,
            new PurchaseEvent(1m, Cart).Name,
            new LoginEvent().Name,
            new SignupEvent().Name,
            new IdentifyEvent(Hash).Name,
            new AddToWishlistEvent("p-1").Name,
            new NewsletterSubscriptionEvent(Hash).Name,
            new KeywordSearchEvent("tv").Name,
            new VideoWatchEvent("v-1").Name,
        ];

        Assert.Equal(
            ["Add to Cart", "Remove from Cart", "Sync Cart", "Purchase", "Login", "Sign Up", "Identify User", "Add to Wishlist",
                "Newsletter Subscription", "Keyword Search", "Video Watch"],
            names);
        Assert.Equal("Application Started", new AddToCartEvent(1m, "p-1", 1, name: "Application Started").Name);
    }

    [Fact]
    public void Cart_ChangedAfterTheEventWasMade_EventKeepsWhatItWasGiven()
    {
        var cart = new List<CartItem> { new("p-1", 1, 1m) };
        var properties = new Dictionary<string, object> { ["plan"] = "gold" };
        var sync = new SyncCartEvent(cart);
        var custom = new CustomEvent("Quote", properties);

        cart.Add(new CartItem("p-2", 1, 1m));
        properties["plan"] = "silver";

        Assert.Single(sync.Cart);
        Assert.Equal("gold", custom.Properties["plan"]);
        Assert.Equal("""{"plan":"gold"}""", Serialize(custom)!.ToJsonString());
    }

    [Fact]
    public void CustomEvent_NumbersOfEveryType_AreJsonNumbers()
    {
        var custom = new CustomEvent("Scores", Props(
            ("int", 4), ("long", 9007199254740993L), ("byte", (byte)7), ("ulong", ulong.MaxValue), ("decimal", 12.50m),
            ("double", 0.1), ("float", 0.1f), ("text", "true"), ("flag", true)));

        Assert.Equal(
            """{"int":4,"long":9007199254740993,"byte":7,"ulong":18446744073709551615,"decimal":12.50,"double":0.1,"float":0.1,"text":"true","flag":true}""",
            Serialize(custom)!.ToJsonString());
    }

    [Fact]
    public void CustomEvent_NoPropertiesNoValue_HasNoPropertiesObject()
    {
        Assert.Null(Serialize(new CustomEvent("exampleEvent2")));
        Assert.Null(Serialize(new CustomEvent("exampleEvent2", new Dictionary<string, object>())));
        Assert.Equal("""{"value":5,"currency":"EUR"}""", Serialize(new CustomEvent("Quote", value: 5m, currency: "EUR"))!.ToJsonString());
    }

    private static Dictionary<string, object> Props(params (string Key, object? Value)[] properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value!);

    /// <summary>The event's <c>properties</c> as the destination writes them.</summary>
    private static JsonNode? Serialize(DynamicYieldEvent dynamicYieldEvent)
    {
        var body = new DynamicYieldEventRequest(
            new DynamicYieldUser { Id = "u" }, null, null, [new DynamicYieldEventBody(dynamicYieldEvent.Name, dynamicYieldEvent.ToProperties())]);
        var json = JsonSerializer.SerializeToNode(body, DynamicYieldJsonContext.Default.DynamicYieldEventRequest)!;
        return json["events"]![0]!["properties"];
    }
}
