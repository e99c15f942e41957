// One-Time Call in Azure: one Linux App Service (Node 22 LTS) running the bot, the tab, the agent API and
// the customer pages, and an Azure Database for PostgreSQL flexible server as the call store.
// Deployed by `arm/deploy` in teamsapp.yml; outputs are written back to env/.env.<env>.

@maxLength(20)
@minLength(4)
@description('Prefix of every resource name')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU (B1 is the smallest with Always On)')
param webAppSku string = 'B1'

@description('The bot Entra app (BOT_ID) and its secret')
param botAadAppClientId string
@secure()
param botAadAppClientSecret string
@description('Tenant of the bot registration: botFramework/create registers a single-tenant bot')
param botTenantId string

@description('The SSO Entra app of the tab and the agent API')
param aadAppClientId string
@secure()
param aadAppClientSecret string
param aadAppTenantId string
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'

param teamsAppId string = ''
@allowed(['teams', 'local'])
param meetingProvider string = 'teams'
param lobbyOpenSeconds string = '600'
param creatorGroupId string = ''
param allowedTenantIds string = ''

param postgresAdminLogin string = 'otcadmin'
@secure()
@minLength(12)
param postgresAdminPassword string
@description('PostgreSQL flexible server SKU (Burstable B1ms is enough for a few hundred agents)')
param postgresSkuName string = 'Standard_B1ms'
param postgresSkuTier string = 'Burstable'

var serverfarmsName = resourceBaseName
var webAppName = resourceBaseName
var postgresName = '${resourceBaseName}-pg'
var databaseName = 'onetimecall'

resource serverfarm 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: serverfarmsName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

// 2024-08-01: the first GA API that accepts version 16 and a writable network.publicNetworkAccess
// (2022-12-01 lists 11-14 and treats publicNetworkAccess as read-only).
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresName
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0–0.0.0.0 is Azure's "allow Azure services" rule. For a private setup, replace it with
// VNet integration of the App Service and a private endpoint.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

var publicHost = '${webAppName}.azurewebsites.net'
var databaseUrl = 'postgresql://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'

resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      // Node 20 is past end of life (2026-04-30); the code also runs on 20.19+ for CI.
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/bot/main.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: [
        { name: 'NODE_ENV', value: 'production' }
        // `atk deploy` builds dist/ itself (cli/runNpmCommand) and ships it with package*.json only.
        // The App Service installs the runtime dependencies on Linux (native better-sqlite3) and
        // builds nothing: CUSTOM_BUILD_COMMAND replaces Oryx's `npm install` + `npm run build`,
        // which would need the devDependencies (vite, esbuild) that NODE_ENV=production leaves out.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'CUSTOM_BUILD_COMMAND', value: 'npm ci --omit=dev' }
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PUBLIC_BASE_URL', value: 'https://${publicHost}' }
        { name: 'TRUST_PROXY', value: '1' }
        { name: 'SECURE_COOKIES', value: 'true' }
        { name: 'DATABASE_URL', value: databaseUrl }
        { name: 'BOT_ID', value: botAadAppClientId }
        { name: 'BOT_PASSWORD', value: botAadAppClientSecret }
        // botFramework/create registers a single-tenant bot: the token for the Bot Connector must be
        // asked of that tenant, not of botframework.com (MultiTenant).
        { name: 'BOT_TYPE', value: 'SingleTenant' }
        { name: 'BOT_TENANT_ID', value: botTenantId }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'AAD_APP_CLIENT_ID', value: aadAppClientId }
        { name: 'AAD_APP_CLIENT_SECRET', value: aadAppClientSecret }
        { name: 'AAD_APP_TENANT_ID', value: aadAppTenantId }
        { name: 'AAD_APP_ID_URI', value: 'api://${publicHost}/${aadAppClientId}' }
        { name: 'ENTRA_AUTHORITY_HOST', value: aadAppOauthAuthorityHost }
        { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
        { name: 'CREATOR_GROUP_ID', value: creatorGroupId }
        { name: 'MEETING_PROVIDER', value: meetingProvider }
        { name: 'LOBBY_OPEN_SECONDS', value: lobbyOpenSeconds }
      ]
    }
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = publicHost
output BOT_ENDPOINT string = 'https://${publicHost}'
output TAB_DOMAIN string = publicHost
output TAB_ENDPOINT string = 'https://${publicHost}'
output POSTGRES_SERVER_NAME string = postgres.name
