using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RampPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ramp_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Operation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FromPercent = table.Column<int>(type: "integer", nullable: false),
                    ToPercent = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Summary = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    DryRun = table.Column<bool>(type: "boolean", nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ActorEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Why = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    NewSent = table.Column<long>(type: "bigint", nullable: true),
                    NewOk = table.Column<long>(type: "bigint", nullable: true),
                    OldSent = table.Column<long>(type: "bigint", nullable: true),
                    OldOk = table.Column<long>(type: "bigint", nullable: true),
                    NewTenantErrors = table.Column<long>(type: "bigint", nullable: true),
                    OldTenantErrors = table.Column<long>(type: "bigint", nullable: true),
                    PValue = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ramp_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ramp_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Holder = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ramp_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "ramp_plans",
                columns: table => new
                {
                    Operation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FromFlow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ToFlow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Steps = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    MinStepSeconds = table.Column<int>(type: "integer", nullable: false),
                    MinRequests = table.Column<int>(type: "integer", nullable: false),
                    Alpha = table.Column<double>(type: "double precision", nullable: false),
                    DryRun = table.Column<bool>(type: "boolean", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Percent = table.Column<int>(type: "integer", nullable: false),
                    StepStartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ramp_plans", x => x.Operation);
                });

            migrationBuilder.InsertData(
                table: "ramp_leases",
                columns: new[] { "Name", "ExpiresAt", "Holder" },
                values: new object[] { "engine", new DateTime(2000, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), "" });

            migrationBuilder.CreateIndex(
                name: "IX_ramp_events_Operation_Id",
                table: "ramp_events",
                columns: new[] { "Operation", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ramp_events");

            migrationBuilder.DropTable(
                name: "ramp_leases");

            migrationBuilder.DropTable(
                name: "ramp_plans");
        }
    }
}
