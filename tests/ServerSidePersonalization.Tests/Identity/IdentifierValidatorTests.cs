using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tests.Identity;

public sealed class IdentifierValidatorTests
{
    private const int MaxLength = 16;

    private readonly IdentifierValidator _validator = new(MaxLength);

    [Fact]
    public void IsValid_ExactlyMaxLength_ReturnsTrue()
    {
        Assert.True(_validator.IsValid(new string('a', MaxLength)));
    }

    [Fact]
    public void IsValid_OneOverMaxLength_ReturnsFalse()
    {
        Assert.False(_validator.IsValid(new string('a', MaxLength + 1)));
    }

    [Fact]
    public void IsValid_Empty_ReturnsFalse()
    {
        Assert.False(_validator.IsValid(string.Empty));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("visitor-42")]
    [InlineData("!")]
    [InlineData("~")]
    [InlineData("A_b.c-d:e/f+g=")]
    [InlineData("x@example.com")]
    public void IsValid_PrintableAscii_ReturnsTrue(string value)
    {
        Assert.True(_validator.IsValid(value));
    }

    [Theory]
    [InlineData("visitor 42")]
    [InlineData(" visitor")]
    [InlineData("visitor\t")]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("a\u001fb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    [InlineData("visitor-é")]
    [InlineData("訪問者")]
    [InlineData("a\u00a0b")]
    [InlineData("\ud83d\ude00")]
    public void IsValid_WhitespaceControlOrNonAscii_ReturnsFalse(string value)
    {
        Assert.False(_validator.IsValid(value));
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("a,b")]
    [InlineData("a;b")]
    [InlineData("a\\b")]
    [InlineData("\"quoted\"")]
    public void IsValid_CookieOrHeaderBreakingCharacter_ReturnsFalse(string value)
    {
        Assert.False(_validator.IsValid(value));
    }

    [Theory]
    [InlineData("jane@example.com")]
    [InlineData("Jane.Doe@Example.COM")]
    [InlineData("  JANE.doe@example.com ")]
    [InlineData("a@b.c")]
    public void HashEmail_Email_ReturnsSha256OfTrimmedLowerCase(string email)
    {
        var expected = Sha256Hex(email.Trim().ToLowerInvariant());

        var hashed = IdentifierValidator.HashEmail(email);

        Assert.Equal(expected, hashed);
        Assert.Matches("^[0-9a-f]{64}$", hashed);
    }

    [Theory]
    [InlineData("jane@example.com")]
    [InlineData("Jane.Doe@Example.COM")]
    [InlineData("a@b.c")]
    public void LooksLikeEmail_Address_ReturnsTrue(string value)
    {
        Assert.True(IdentifierValidator.LooksLikeEmail(value));
    }

    [Theory]
    [InlineData("customer-42")]
    [InlineData("@example.com")]
    [InlineData("jane@")]
    [InlineData("jane@example")]
    [InlineData("jane@.com")]
    [InlineData("jane@example.com.")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@x@example.com")]
    public void LooksLikeEmail_NotAnAddress_ReturnsFalse(string value)
    {
        Assert.False(IdentifierValidator.LooksLikeEmail(value));
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
