using Microsoft.Extensions.Options;

namespace Hfpl;

/// <summary>Validates <see cref="ImportanceSamplingOptions"/>, reporting every bad value at once.</summary>
public sealed class ImportanceSamplingOptionsValidator : IValidateOptions<ImportanceSamplingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ImportanceSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
