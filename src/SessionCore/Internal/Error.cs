using System;
using System.Globalization;

namespace SessionCore.Internal;

/// <summary>
/// Every message text the library produces. No message takes a token, a key or any value that came
/// from untrusted input, so nothing secret can leak through an exception.
/// </summary>
internal static partial class Error
{
    public const string EmptyString = "The value must not be empty or white space.";
    public const string BuilderUsed = "This builder has already built an instance and cannot be reused.";
    public const string StoreMissing = "No session store is configured. Set Store (or register an ISessionStore) before building.";
    public const string UserIdTooLong = "The user id is longer than the supported maximum.";
    public const string UserIdNotWellFormed = "The user id is not well-formed UTF-16 (it contains a lone surrogate).";
    public const string DataTooLarge = "The session data bag exceeds the configured limits.";
    public const string FailedResultHasNoValue = "The operation did not succeed, so there is no value. Check IsSuccess or use TryGetValue.";
    public const string LongAbsoluteLifetime = "AbsoluteLifetime is longer than 30 days. Set AllowLongLivedSessions to true to accept this deliberately.";
    public const string IdleLongerThanAbsolute = "IdleTimeout must not be longer than AbsoluteLifetime.";
    public const string RenewalNotShorterThanIdle = "RenewalInterval must be shorter than IdleTimeout.";
    public const string StoreFailed = "The session store could not complete the operation.";
    public const string AddedTwice = "AddSessionCore was called twice; configure everything in one call.";
    public const string KeepWithDisabledAccount = "A disabled account keeps no session.";
    public const string ExceptWithEpoch = "A session cannot be left as it is when the epoch advances: keep it by regenerating it instead.";
    public const string SessionLimitInvalid = "MaxSessionsPerUser must be null (no limit) or between 1 and 1000.";
    public const string LimitModeInvalid = "LimitMode must be EvictOldest or RejectNew.";

    public static string SeveralOptionProblems(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"The options have {count} problems:");

    public static string OutOfRange(TimeSpan min, TimeSpan max) =>
        string.Create(CultureInfo.InvariantCulture, $"The value must be between {min} and {max}.");

    public static string OutOfRange(int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"The value must be between {min} and {max}.");
}
