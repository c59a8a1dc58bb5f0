using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpsDesk.Db;
using OpsDesk.Db.Health;
using OpsDesk.Db.Outbox;

namespace OpsDesk.Worker.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// The outbox relay (a hosted service), its options (<c>Kafka</c>, validated at start), topic
    /// provisioning, the <c>kafka-outbox</c> readiness check, and the outbox gauges while metrics are on.
    /// Needs <c>AddOpsDeskDb()</c>.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.TryAddSingleton<OutboxRelayStatus>();
        services.TryAddSingleton<ITopicProvisioner, KafkaTopicProvisioner>();
        services.AddHostedService<OutboxRelay>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, tags: [HealthEndpoints.ReadyTag]);
        // Runs only when a meter provider is built (metrics on); the provider disposes it.
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddInstrumentation(sp =>
            new OutboxMetrics(sp.GetRequiredService<OutboxStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        return services;
    }
}
